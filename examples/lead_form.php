<?php
// The Integria manual's lead form, adapted to Odoo (integria_crm): the same
// api.php call on the new base URL, sent by POST with the API user's Odoo API
// key (Preferences > Account Security) instead of a password in the URL.
// Each value is urlencode()d and the values are joined with plain commas, as
// in the manual: a comma inside a value travels as %2C.

//Config parameters
$integria_url = getenv("ODOO_URL") ?: "http://192.168.70.163/integria";
$user = getenv("API_USER") ?: "api_user";
$api_key = getenv("API_KEY") ?: "";  // keep it on the server, never in the page

$ret = null;
if ($_SERVER["REQUEST_METHOD"] === "POST") {
    //Get post parameters
    $name = $_POST["name"] ?? "";
    $email = $_POST["email"] ?? "";
    $company = $_POST["company"] ?? "";
    $role = $_POST["role"] ?? "";
    $country = $_POST["country"] ?? "";
    $comments = $_POST["comments"] ?? "";

    //Create the params to call the API
    $params = urlencode($name).",".urlencode($company).",";
    $params .= urlencode($email).",".urlencode($country).",0,0,,,";
    $params .= urlencode($role).",,,".urlencode($comments).",1,0";
    $body = "user=".urlencode($user)."&user_pass=".urlencode($api_key)."&op=create_lead&params=".$params;

    // Configure curl
    $ch = curl_init();
    curl_setopt($ch, CURLOPT_URL, $integria_url."/include/api.php");
    curl_setopt($ch, CURLOPT_POST, TRUE);
    curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
    curl_setopt($ch, CURLOPT_HEADER, 0);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, TRUE);

    // Send curl request and close: Odoo answers 1 (created) or 0, as Integria
    // did (the reason in the X-Integria-Error header)
    $ret = curl_exec($ch);
    curl_close($ch);
}
?>
<h2>Integria IMS Lead form</h2>
<?php if ($ret !== null) { echo "<p>".($ret === "1" ? "Thank you!" : "Sorry, please try again.")."</p>"; } ?>
<form method="post">
  Full name: <input type="text" name="name" size="35"><br><br>
  E-mail: <input type="text" name="email" size="25"><br><br>
  Company: <input type="text" name="company" size="30"><br><br>
  Position: <input type="text" name="role" size="30"><br><br>
  Country: <input type="text" name="country" size="20"><br><br>
  Comments and questions:<br>
  <textarea name="comments" cols="50" rows="8"></textarea><br><br>
<input type="submit" name="submit" value="Submit">
</form>
